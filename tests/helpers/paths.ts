// Where things are, for tests that start processes or read files of the repository.
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
