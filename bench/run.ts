/** `npm run bench`: every benchmark of the project, one after the other. */
import { parseIngestArgs, runIngestBench } from './ingest.ts';

await runIngestBench(parseIngestArgs(Bun.argv.slice(2)));
