/**
 * Monitoring & evaluation (DESIGN §2.2): DHIS2-shaped metadata (category options, categories,
 * category combos, category option combos, data elements, data sets, indicators) and data values
 * with their own audit trail. Ids are DHIS2 UIDs, kept unchanged.
 */
export default `
CREATE TABLE category_options (
  id text PRIMARY KEY,
  code text UNIQUE,
  name text NOT NULL,
  short_name text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE categories (
  id text PRIMARY KEY,
  code text UNIQUE,
  name text NOT NULL,
  data_dimension_type text NOT NULL DEFAULT 'DISAGGREGATION',
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE category_category_options (
  category_id text NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
  option_id text NOT NULL REFERENCES category_options (id) ON DELETE RESTRICT,
  sort_order integer NOT NULL,
  PRIMARY KEY (category_id, option_id)
);

CREATE TABLE category_combos (
  id text PRIMARY KEY,
  code text UNIQUE,
  name text NOT NULL,
  data_dimension_type text NOT NULL DEFAULT 'DISAGGREGATION',
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE category_combo_categories (
  combo_id text NOT NULL REFERENCES category_combos (id) ON DELETE CASCADE,
  category_id text NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
  sort_order integer NOT NULL,
  PRIMARY KEY (combo_id, category_id)
);

CREATE TABLE category_option_combos (
  id text PRIMARY KEY,
  code text UNIQUE,
  name text NOT NULL,
  combo_id text NOT NULL REFERENCES category_combos (id) ON DELETE CASCADE,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX category_option_combos_combo_idx ON category_option_combos (combo_id);
CREATE TABLE category_option_combo_options (
  coc_id text NOT NULL REFERENCES category_option_combos (id) ON DELETE CASCADE,
  option_id text NOT NULL REFERENCES category_options (id) ON DELETE RESTRICT,
  PRIMARY KEY (coc_id, option_id)
);

CREATE TABLE data_elements (
  id text PRIMARY KEY,
  code text UNIQUE,
  name text NOT NULL,
  short_name text,
  value_type text NOT NULL CHECK (value_type IN ('NUMBER', 'INTEGER', 'INTEGER_POSITIVE', 'INTEGER_ZERO_OR_POSITIVE',
    'PERCENTAGE', 'TEXT', 'LONG_TEXT', 'BOOLEAN', 'TRUE_ONLY', 'DATE')),
  aggregation_type text NOT NULL DEFAULT 'SUM',
  combo_id text NOT NULL REFERENCES category_combos (id) ON DELETE RESTRICT,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE data_sets (
  id text PRIMARY KEY,
  code text UNIQUE,
  name text NOT NULL,
  period_type text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE data_set_elements (
  data_set_id text NOT NULL REFERENCES data_sets (id) ON DELETE CASCADE,
  data_element_id text NOT NULL REFERENCES data_elements (id) ON DELETE RESTRICT,
  PRIMARY KEY (data_set_id, data_element_id)
);
CREATE TABLE data_set_places (
  data_set_id text NOT NULL REFERENCES data_sets (id) ON DELETE CASCADE,
  place_id text NOT NULL REFERENCES places (id) ON DELETE CASCADE,
  PRIMARY KEY (data_set_id, place_id)
);

CREATE TABLE indicators (
  id text PRIMARY KEY,
  code text UNIQUE,
  name text NOT NULL,
  numerator text NOT NULL,
  denominator text NOT NULL,
  factor double precision NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE data_values (
  data_element_id text NOT NULL REFERENCES data_elements (id) ON DELETE RESTRICT,
  period_id text NOT NULL,
  place_id text NOT NULL REFERENCES places (id) ON DELETE RESTRICT,
  coc_id text NOT NULL REFERENCES category_option_combos (id) ON DELETE RESTRICT,
  aoc_id text NOT NULL REFERENCES category_option_combos (id) ON DELETE RESTRICT,
  period_type text NOT NULL,
  start_date date NOT NULL,
  end_date date NOT NULL,
  value text,
  stored_by text,
  created timestamptz NOT NULL DEFAULT now(),
  last_updated timestamptz NOT NULL DEFAULT now(),
  comment text,
  followup boolean NOT NULL DEFAULT false,
  deleted boolean NOT NULL DEFAULT false,
  PRIMARY KEY (data_element_id, period_id, place_id, coc_id, aoc_id)
);
CREATE INDEX data_values_place_idx ON data_values (place_id, period_id);
CREATE INDEX data_values_dates_idx ON data_values (start_date, end_date);

CREATE TABLE data_value_audit (
  id bigserial PRIMARY KEY,
  data_element_id text NOT NULL,
  period_id text NOT NULL,
  place_id text NOT NULL,
  coc_id text NOT NULL,
  aoc_id text NOT NULL,
  action text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
  before jsonb,
  after jsonb,
  actor text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX data_value_audit_key_idx ON data_value_audit (data_element_id, period_id, place_id);

-- DHIS2's default disaggregation: one category, one option, one combo, one option combo.
INSERT INTO category_options (id, code, name) VALUES ('xYerKDKCefk', 'default', 'default');
INSERT INTO categories (id, code, name) VALUES ('GLevLNI9wkl', 'default', 'default');
INSERT INTO category_category_options (category_id, option_id, sort_order) VALUES ('GLevLNI9wkl', 'xYerKDKCefk', 0);
INSERT INTO category_combos (id, code, name) VALUES ('bjDvmb4bfuf', 'default', 'default');
INSERT INTO category_combo_categories (combo_id, category_id, sort_order) VALUES ('bjDvmb4bfuf', 'GLevLNI9wkl', 0);
INSERT INTO category_option_combos (id, code, name, combo_id) VALUES ('HllvX50cXC0', 'default', 'default', 'bjDvmb4bfuf');
INSERT INTO category_option_combo_options (coc_id, option_id) VALUES ('HllvX50cXC0', 'xYerKDKCefk');
`;
