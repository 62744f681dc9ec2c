/**
 * docs/postgres.md: the same store over PGlite, in a folder of its own.
 *
 * @sample compile-only it writes a PGlite database folder beside the process (test/storage/pglite-conformance.test.ts runs the store)
 */
import { pgliteStore } from 'bluetick/postgres';

const store = pgliteStore({ dataDir: './bluetick-data' }); // the store creates PGlite and closes it
// or your instance, never closed by the store: pgliteStore(db) / postgresStore({ pglite: db })

export { store };
