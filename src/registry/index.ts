export { PlaceService, type PlaceImportResult, type PlaceFeature } from './place.service.js';
export { parsePlaceFile, placeFileFormat, type PlaceImportRow } from './place-import.js';
export { ensureWorld, bundledCountries, bundledPrevalence } from './world.js';
