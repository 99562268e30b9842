// Types of the monitoring (M&E) API, mirroring src/domain/monitoring.ts and
// src/api/routes/data-entry.routes.ts.

export interface IdName {
  id: string;
  name: string;
}

/** A category combo: its categories with their options in order, and its category option combos. */
export interface ComboStructure {
  id: string;
  code: string | null;
  name: string;
  dataDimensionType: string;
  categories: { id: string; code: string | null; name: string; options: { id: string; code: string | null; name: string }[] }[];
  /** `options`: option ids in category order. */
  cocs: { id: string; name: string; options: string[] }[];
}

/** One item of `GET /api/metadata/dataSets`. */
export interface DataSetSummary {
  id: string;
  code: string | null;
  name: string;
  description: string | null;
  periodType: string;
  timelyDays: number;
  /** The attribute combo (project, partner); DHIS2's "default" when there is none. */
  categoryCombo: IdName;
  dataElementCount: number;
  organisationUnitCount: number;
}

export interface DataElement {
  id: string;
  code: string | null;
  name: string;
  shortName: string | null;
  description: string | null;
  valueType: string;
  aggregationType: string;
  categoryCombo: IdName;
}

/** `GET /api/metadata/dataSets/{id}`. */
export interface DataSetDetail extends Omit<DataSetSummary, 'dataElementCount' | 'organisationUnitCount'> {
  dataElements: DataElement[];
  categoryCombos: ComboStructure[];
  organisationUnits: { id: string; code: string | null; name: string; level: string }[];
}

export interface CategoryComboSummary {
  id: string;
  code: string | null;
  name: string;
  dataDimensionType: string;
  categories: ComboStructure['categories'];
  cocCount: number;
}

export interface Indicator {
  id: string;
  code: string | null;
  name: string;
  description: string | null;
  source: string | null;
  numerator: string;
  denominator: string;
  factor: number;
}

export interface ValidationRule {
  id: string;
  code: string | null;
  name: string;
  description: string | null;
  operator: string;
  leftSide: { expression: string; missingValueStrategy: string };
  rightSide: { expression: string; missingValueStrategy: string };
  importance: 'HIGH' | 'MEDIUM' | 'LOW';
  periodType: string;
}

export interface FormValue {
  dataElement: string;
  categoryOptionCombo: string;
  value: string | null;
  comment: string | null;
  followup: boolean;
  storedBy: string | null;
  lastUpdated: string;
}

/** `GET /api/dataEntry/form`. */
export interface EntryForm {
  dataSet: IdName & { periodType: string };
  period: { id: string; startDate: string; endDate: string };
  orgUnit: IdName;
  attributeOptionCombo: IdName;
  elements: { id: string; code: string | null; name: string; valueType: string; categoryCombo: string }[];
  categoryCombos: ComboStructure[];
  values: FormValue[];
  completed: { by: string; at: string } | null;
  approved: { by: string; at: string; placeId: string } | null;
  locked: boolean;
}

/** `GET /api/dataApprovals`. */
export interface ApprovalState {
  approved: { placeId: string; approvedBy: string; approvedAt: string } | null;
  approvedAbove: { placeId: string; placeName: string; approvedBy: string; approvedAt: string }[];
  approvedBelow: { placeId: string; placeName: string; approvedBy: string; approvedAt: string }[];
  locked: boolean;
}

export interface RuleViolation {
  rule: { id: string; code: string | null; name: string; description: string | null; importance: string; operator: string };
  orgUnit: IdName;
  period: string;
  attributeOptionCombo: string;
  leftSide: { expression: string; value: number | null };
  rightSide: { expression: string; value: number | null };
}

export interface Outlier {
  dataElement: IdName;
  categoryOptionCombo: IdName;
  attributeOptionCombo: string;
  orgUnit: IdName;
  period: string;
  value: number;
  method: 'Z_SCORE' | 'MOD_Z_SCORE' | 'MIN_MAX';
  score: number | null;
  threshold: number | null;
  center: number | null;
  min: number | null;
  max: number | null;
  followup: boolean;
}

/** `GET /api/validation`. */
export interface ValidationResult {
  dataSet: IdName;
  period: { id: string; startDate: string; endDate: string };
  orgUnit: IdName;
  places: number;
  rulesChecked: number;
  valuesChecked: number;
  outlierMethod: string;
  ruleViolations: RuleViolation[];
  outliers: Outlier[];
}

/** `GET /api/completeness`. */
export interface Completeness {
  dataSet: IdName & { periodType: string };
  period: { id: string; startDate: string; endDate: string };
  orgUnit: IdName;
  attributeOptionCombo: IdName;
  timelyDays: number;
  expected: number;
  completed: number;
  onTime: number;
  completeness: number | null;
  timeliness: number | null;
  places: {
    place: IdName;
    values: number;
    completed: boolean;
    completedBy: string | null;
    completedAt: string | null;
    onTime: boolean;
    approved: boolean;
  }[];
}

/** The DHIS2 import summary of `POST /api/dataValueSets`. */
export interface ImportSummary {
  status: 'SUCCESS' | 'WARNING' | 'ERROR';
  description?: string;
  dryRun: boolean;
  importCount: { imported: number; updated: number; ignored: number; deleted: number };
  conflicts: { object: string; value: string; property?: string; message: string }[];
}

/** One place of `GET /api/places` (no geometry). */
export interface PlaceItem {
  id: string;
  code: string | null;
  name: string;
  level: string;
  parentId: string | null;
}

/** DHIS2's default category combo and category option combo. */
export const DEFAULT_COMBO = 'bjDvmb4bfuf';
export const DEFAULT_COC = 'HllvX50cXC0';
