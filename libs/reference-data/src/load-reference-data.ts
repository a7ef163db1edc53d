import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ReferenceData } from './reference-data';
import { InvalidReferenceData, validateReferenceData } from './validate-reference-data';

export const REFERENCE_DATA_FILE_VARIABLE = 'REFERENCE_DATA_FILE';

/**
 * The folder holding package.json. The compiled app runs from dist/…, where the data file is not copied,
 * so the default file is found from the package root rather than from this file's folder.
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json found above ${from}; cannot locate the default reference data`);
  }
}

export function defaultReferenceDataFile(): string {
  return join(packageRoot(), 'libs', 'reference-data', 'data', 'somerset-illustrative.json');
}

/**
 * Loads and validates a reference data file: `path`, else $REFERENCE_DATA_FILE (relative to the working
 * directory), else the shipped illustrative Somerset file.
 */
export function loadReferenceData(path?: string): ReferenceData {
  const fromEnvironment = process.env[REFERENCE_DATA_FILE_VARIABLE];
  const file = resolve(path ?? (fromEnvironment ? fromEnvironment : defaultReferenceDataFile()));
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidReferenceData(file, [`$: cannot read the file (${(error as Error).message})`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InvalidReferenceData(file, [`$: is not valid JSON (${(error as Error).message})`]);
  }
  return new ReferenceData(validateReferenceData(raw, file), file);
}

/** For tests and tools that build the data in memory. */
export function referenceDataFrom(raw: unknown, file = '(in memory)'): ReferenceData {
  return new ReferenceData(validateReferenceData(structuredClone(raw), file), file);
}
