/** The registry (DESIGN §2.1): taxonomy as data, sites with populations and services, corridors, flows, projects, policies. */
export default `
CREATE TABLE site_types (code text PRIMARY KEY, name text NOT NULL, sort integer NOT NULL);
CREATE TABLE service_types (code text PRIMARY KEY, name text NOT NULL, sort integer NOT NULL);
CREATE TABLE taxonomy_categories (code text PRIMARY KEY, name text NOT NULL, sort integer NOT NULL);
CREATE TABLE taxonomy_options (
  category text NOT NULL REFERENCES taxonomy_categories (code) ON DELETE CASCADE,
  code text NOT NULL,
  name text NOT NULL,
  sort integer NOT NULL,
  PRIMARY KEY (category, code)
);
CREATE TABLE population_groups (
  id text PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  description text,
  options jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Which services a population needs: every group (no category), or those with a category
-- (any option) or with a given option.
CREATE TABLE need_rules (
  id serial PRIMARY KEY,
  category text,
  option text,
  service text NOT NULL REFERENCES service_types (code),
  about text,
  CHECK (option IS NULL OR category IS NOT NULL)
);

CREATE TABLE sites (
  place_id text PRIMARY KEY REFERENCES places (id) ON DELETE CASCADE,
  type text NOT NULL REFERENCES site_types (code),
  country_id text NOT NULL REFERENCES places (id),
  latitude double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  operating_days text,
  operating_hours text,
  venue jsonb NOT NULL DEFAULT '{}',
  assessment_date date,
  source text,
  notes text,
  illustrative boolean NOT NULL DEFAULT false
);
CREATE INDEX sites_type_idx ON sites (type);
CREATE INDEX sites_country_idx ON sites (country_id);
CREATE INDEX sites_position_idx ON sites (longitude, latitude);

CREATE TABLE site_populations (
  site_id text NOT NULL REFERENCES sites (place_id) ON DELETE CASCADE,
  group_id text NOT NULL REFERENCES population_groups (id),
  size_low integer NOT NULL CHECK (size_low >= 0),
  size_high integer NOT NULL,
  estimate_date date,
  source text,
  PRIMARY KEY (site_id, group_id),
  CHECK (size_high >= size_low)
);
CREATE TABLE site_services (
  site_id text NOT NULL REFERENCES sites (place_id) ON DELETE CASCADE,
  service text NOT NULL REFERENCES service_types (code),
  availability text NOT NULL CHECK (availability IN ('none', 'partial', 'full')),
  hours text,
  cost_to_user text,
  languages jsonb NOT NULL DEFAULT '[]',
  serves_undocumented boolean,
  on_site boolean NOT NULL DEFAULT true,
  PRIMARY KEY (site_id, service)
);

CREATE TABLE corridors (
  id text PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  description text,
  illustrative boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE corridor_places (
  corridor_id text NOT NULL REFERENCES corridors (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  place_id text NOT NULL REFERENCES places (id),
  PRIMARY KEY (corridor_id, seq)
);

CREATE TABLE flows (
  id text PRIMARY KEY,
  from_place_id text NOT NULL REFERENCES places (id),
  to_place_id text NOT NULL REFERENCES places (id),
  corridor_id text REFERENCES corridors (id) ON DELETE SET NULL,
  period_start date NOT NULL,
  period_end date NOT NULL,
  sex text NOT NULL,
  age_band text NOT NULL,
  nationality text NOT NULL,
  reason text NOT NULL,
  count integer NOT NULL CHECK (count >= 0),
  source text,
  illustrative boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (period_end >= period_start),
  CHECK (from_place_id <> to_place_id)
);
CREATE INDEX flows_route_idx ON flows (from_place_id, to_place_id);
CREATE INDEX flows_corridor_idx ON flows (corridor_id);
CREATE INDEX flows_period_idx ON flows (period_start);

CREATE TABLE projects (
  id text PRIMARY KEY,
  code text NOT NULL UNIQUE,
  title text NOT NULL,
  description text,
  status text NOT NULL CHECK (status IN ('planned', 'active', 'closed')),
  start_date date NOT NULL,
  end_date date,
  donors jsonb NOT NULL DEFAULT '[]',
  objectives jsonb NOT NULL DEFAULT '[]',
  beneficiary_groups jsonb NOT NULL DEFAULT '[]',
  sectors jsonb NOT NULL DEFAULT '[]',
  targets jsonb NOT NULL DEFAULT '[]',
  illustrative boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE project_countries (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  country_id text NOT NULL REFERENCES places (id),
  PRIMARY KEY (project_id, country_id)
);
CREATE TABLE project_sites (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  site_id text NOT NULL REFERENCES sites (place_id) ON DELETE CASCADE,
  PRIMARY KEY (project_id, site_id)
);

CREATE TABLE policies (
  id text PRIMARY KEY,
  country_id text NOT NULL REFERENCES places (id),
  restriction text NOT NULL,
  status text NOT NULL CHECK (status IN ('in_force', 'repealed', 'none', 'unclear')),
  effective_date date,
  citation text NOT NULL CHECK (length(citation) > 0),
  last_verified date NOT NULL,
  notes text,
  illustrative boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (country_id, restriction)
);
`;
