/**
 * M&E data quality and workflow (DESIGN §2.2): descriptions and attribute combos on the metadata,
 * validation rules, complete data set registrations (completeness and timeliness) and approvals
 * (approved data is locked), and min-max bounds for outlier detection.
 */
export default `
ALTER TABLE data_sets ADD COLUMN combo_id text NOT NULL DEFAULT 'bjDvmb4bfuf' REFERENCES category_combos (id) ON DELETE RESTRICT;
ALTER TABLE data_sets ADD COLUMN description text;
-- DHIS2's timelyDays: a registration this many days after the period's end still counts as on time.
ALTER TABLE data_sets ADD COLUMN timely_days integer NOT NULL DEFAULT 15 CHECK (timely_days >= 0);
ALTER TABLE data_elements ADD COLUMN description text;
ALTER TABLE indicators ADD COLUMN description text;
ALTER TABLE indicators ADD COLUMN source text;

CREATE TABLE validation_rules (
  id text PRIMARY KEY,
  code text UNIQUE,
  name text NOT NULL,
  description text,
  left_expression text NOT NULL,
  operator text NOT NULL CHECK (operator IN ('equal_to', 'not_equal_to', 'greater_than', 'greater_than_or_equal_to',
    'less_than', 'less_than_or_equal_to', 'compulsory_pair', 'exclusive_pair')),
  right_expression text NOT NULL,
  importance text NOT NULL DEFAULT 'MEDIUM' CHECK (importance IN ('HIGH', 'MEDIUM', 'LOW')),
  period_type text NOT NULL,
  missing_value_strategy text NOT NULL DEFAULT 'SKIP_IF_ALL_VALUES_MISSING'
    CHECK (missing_value_strategy IN ('SKIP_IF_ANY_VALUE_MISSING', 'SKIP_IF_ALL_VALUES_MISSING', 'NEVER_SKIP')),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE complete_registrations (
  data_set_id text NOT NULL REFERENCES data_sets (id) ON DELETE CASCADE,
  period_id text NOT NULL,
  place_id text NOT NULL REFERENCES places (id) ON DELETE CASCADE,
  aoc_id text NOT NULL REFERENCES category_option_combos (id) ON DELETE RESTRICT,
  completed_by text NOT NULL,
  completed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (data_set_id, period_id, place_id, aoc_id)
);

CREATE TABLE data_approvals (
  data_set_id text NOT NULL REFERENCES data_sets (id) ON DELETE CASCADE,
  period_id text NOT NULL,
  place_id text NOT NULL REFERENCES places (id) ON DELETE CASCADE,
  aoc_id text NOT NULL REFERENCES category_option_combos (id) ON DELETE RESTRICT,
  approved_by text NOT NULL,
  approved_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (data_set_id, period_id, place_id, aoc_id)
);
CREATE INDEX data_approvals_period_idx ON data_approvals (period_id);

-- Expected bounds of a data element's values at a place (DHIS2 min-max values), for outlier checks.
CREATE TABLE min_max_values (
  data_element_id text NOT NULL REFERENCES data_elements (id) ON DELETE CASCADE,
  place_id text NOT NULL REFERENCES places (id) ON DELETE CASCADE,
  coc_id text NOT NULL REFERENCES category_option_combos (id) ON DELETE CASCADE,
  min_value double precision NOT NULL,
  max_value double precision NOT NULL,
  generated boolean NOT NULL DEFAULT false,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (data_element_id, place_id, coc_id),
  CHECK (max_value >= min_value)
);
`;
