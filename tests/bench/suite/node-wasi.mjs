// Runs a WASI command under Node's node:wasi (preview1), the way `orca run` and
// `wasmtime run` do: the module's path is argv[0], the rest go to the guest; exits with the
// guest's status.
//   node node-wasi.mjs MODULE.wasm [ARGS...]
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import process from 'node:process';

const [path, ...args] = process.argv.slice(2);
if (!path) {
  console.error('usage: node node-wasi.mjs MODULE.wasm [ARGS...]');
  process.exit(2);
}
const wasi = new WASI({ version: 'preview1', args: [path, ...args], env: {}, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(path));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
