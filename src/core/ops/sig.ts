// Terse builders for Python signatures (ParamSpec lists) of torch modules, functions and methods.
import { pyBool, pyFloat, pyInt, pyStr } from './args';
import { ParamSpec } from './types';
import { NONE, PyValue } from './values';

/** A required positional-or-keyword parameter. */
export const req = (name: string): ParamSpec => ({ name });
/** A parameter with a default. */
export const opt = (name: string, def: PyValue): ParamSpec => ({ name, default: def });
/** A keyword-only parameter (after `*`). */
export const kw = (name: string, def: PyValue): ParamSpec => ({ name, default: def, keywordOnly: true });
export const star = (name: string): ParamSpec => ({ name, variadic: 'args' });
export const starstar = (name: string): ParamSpec => ({ name, variadic: 'kwargs' });

export const vInt = (n: number): PyValue => pyInt(n);
export const vFloat = (x: number): PyValue => pyFloat(x);
export const vBool = (b: boolean): PyValue => pyBool(b);
export const vStr = (s: string): PyValue => pyStr(s);
export const vNone: PyValue = NONE;
/** `device=None, dtype=None` that every parameterised module constructor ends with. */
export const factoryKwargs: readonly ParamSpec[] = [opt('device', NONE), opt('dtype', NONE)];
