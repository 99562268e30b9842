/** The place hierarchy, reference statistics per place, loaded datasets and the audit trail. */
export default `
CREATE TABLE place_levels (
  code text PRIMARY KEY,
  rank integer NOT NULL UNIQUE
);
INSERT INTO place_levels (code, rank) VALUES
  ('country', 0), ('admin1', 1), ('admin2', 2), ('admin3', 3), ('admin4', 4), ('site', 5);

CREATE TABLE places (
  id text PRIMARY KEY,
  code text UNIQUE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  level text NOT NULL REFERENCES place_levels (code),
  parent_id text REFERENCES places (id) ON DELETE RESTRICT,
  -- materialised path of ancestor ids ('/root/…/self/'): subtree queries are a prefix match
  path text NOT NULL,
  iso2 text,
  geometry jsonb,
  min_lon double precision,
  min_lat double precision,
  max_lon double precision,
  max_lat double precision,
  source text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (level = 'country' OR parent_id IS NOT NULL)
);
CREATE INDEX places_parent_idx ON places (parent_id);
CREATE INDEX places_level_idx ON places (level, name);
CREATE INDEX places_path_idx ON places (path text_pattern_ops);
CREATE INDEX places_bbox_idx ON places (min_lon, max_lon, min_lat, max_lat);

CREATE TABLE place_statistics (
  place_id text NOT NULL REFERENCES places (id) ON DELETE CASCADE,
  indicator text NOT NULL,
  year integer NOT NULL,
  value double precision NOT NULL,
  source text NOT NULL,
  PRIMARY KEY (place_id, indicator, year)
);

CREATE TABLE dataset_loads (
  dataset text PRIMARY KEY,
  rows integer NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  object_type text NOT NULL,
  object_id text,
  before jsonb,
  after jsonb,
  details jsonb
);
CREATE INDEX audit_events_object_idx ON audit_events (object_type, object_id);
CREATE INDEX audit_events_at_idx ON audit_events (at);
`;
