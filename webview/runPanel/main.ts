// Run panel entry (dist/webview/runPanel.js): validates every host message and hands it to the RunApp.
import { isToRunPanel, type FromRunPanel } from '../../src/protocol';
import { readBoot, uiLanguage } from '../shared/boot';
import { webviewHost } from '../shared/vscodeApi';
import { RunApp, type RunPanelState } from './runApp';
import './runPanel.css';

const boot = readBoot();
const host = webviewHost<FromRunPanel, RunPanelState>();
const root = document.getElementById('root') ?? document.body;
const app = new RunApp(root, host, boot.strings, boot.wasmBase, uiLanguage(boot.locale));

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (isToRunPanel(e.data)) app.receive(e.data);
  else host.post({ type: 'log', level: 'warn', message: 'run panel: ignored a malformed message' });
});
host.post({ type: 'ready' });
