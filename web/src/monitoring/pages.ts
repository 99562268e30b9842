// The monitoring pages, loaded on demand (a chunk of their own): people who only use the map and
// the registry do not download them.
export { DataEntryPage } from './entry-page';
export { ImportPage } from './import-page';
export { MetadataPage } from './metadata-page';
export { MonitoringPage } from './monitoring-page';
export { DataQualityPage } from './quality-page';
