// Registers hide-hooks.mjs: packages named in BLUETICK_HIDE_PEERS resolve as if not installed.
import { register } from 'node:module';

register('./hide-hooks.mjs', import.meta.url);
