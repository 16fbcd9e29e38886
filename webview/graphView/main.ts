// Graph view entry (dist/webview/graphView.js): validates every host message and hands it to the GraphApp.
import { isToGraphView, type FromGraphView } from '../../src/protocol';
import { readBoot, uiLanguage } from '../shared/boot';
import { webviewHost } from '../shared/vscodeApi';
import { GraphApp, type SavedState } from './graphApp';
import './graphView.css';

const boot = readBoot();
const lang = uiLanguage(boot.locale);
const host = webviewHost<FromGraphView, SavedState>();
const root = document.getElementById('root') ?? document.body;
const app = new GraphApp(root, host, boot.strings, lang, `${boot.distBase}webview/layoutWorker.js`);

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (isToGraphView(e.data)) app.receive(e.data);
  else host.post({ type: 'log', level: 'warn', message: 'graph view: ignored a malformed message' });
});
host.post({ type: 'ready' });
