import { Global, Module } from '@nestjs/common';
import { loadReferenceData } from './load-reference-data';

/** Injection token for the loaded ReferenceData. */
export const REFERENCE_DATA = Symbol('REFERENCE_DATA');

/**
 * Loads the reference data once at start-up; a bad file stops the app with every problem listed.
 * Kept out of the index so pure code can import `@app/reference-data` without Nest.
 */
@Global()
@Module({ providers: [{ provide: REFERENCE_DATA, useFactory: () => loadReferenceData() }], exports: [REFERENCE_DATA] })
export class ReferenceDataModule {}
