// Runs a wasm32-wasi program under Node's node:wasi (preview1) with one preopened directory:
//   node node_wasi.mjs <file.wasm> <host-dir> <guest-dir> [args...]
// and exits with the guest's status. Used by compare_node.sh as the reference behaviour.
import { WASI } from 'node:wasi';
import { readFile } from 'node:fs/promises';

const [file, hostDir, guestDir, ...args] = process.argv.slice(2);
const wasi = new WASI({
  version: 'preview1',
  args: [file, ...args],
  env: {},
  preopens: { [guestDir]: hostDir },
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
