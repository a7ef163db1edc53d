export * from './activity-feed';
export * from './csv';
export * from './csv-import';
export * from './fhir-import';
export * from './acute-activity-report';
