// Child process of store-crash.test.ts: imports a capture into a database until killed.
import { openStore } from '../../electron/core/store/store';
import { importCapture } from '../../electron/core/capture/import';

const [db, capture] = process.argv.slice(2);
const store = openStore(db!);
const r = await importCapture(store, capture!, { batchLines: 2000 });
process.stdout.write(JSON.stringify({ state: r.state, events: r.stats.events }) + '\n');
store.close();
