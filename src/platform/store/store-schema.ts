// The database schema as numbered migrations: `PRAGMA user_version` says how many have run.

export const MIGRATIONS: string[] = [
  `
  CREATE TABLE orgs (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
  CREATE TABLE spaces (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
  CREATE TABLE apps (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, space TEXT NOT NULL REFERENCES spaces(name), org TEXT NOT NULL REFERENCES orgs(name),
    key TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
  );
  CREATE TABLE formations (
    id TEXT PRIMARY KEY, app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE, type TEXT NOT NULL, command TEXT,
    quantity INTEGER NOT NULL, size TEXT NOT NULL, port INTEGER, healthcheck TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    UNIQUE (app_id, type)
  );
  CREATE TABLE releases (
    id TEXT PRIMARY KEY, app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE, version INTEGER NOT NULL, slug_dir TEXT NOT NULL,
    default_commands TEXT NOT NULL, description TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (app_id, version)
  );
  CREATE TABLE builds (
    id TEXT PRIMARY KEY, app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE, release_id TEXT NOT NULL, url TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE config_vars (
    app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (app_id, key)
  );
  CREATE TABLE deployments (
    app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE, type TEXT NOT NULL, id TEXT NOT NULL, state TEXT NOT NULL, reason TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (app_id, type, id)
  );
  -- No foreign key: a deleted app's processes must still be found (and ended) after a crash of the platform.
  CREATE TABLE processes (pgid INTEGER PRIMARY KEY, app_id TEXT NOT NULL, dyno TEXT NOT NULL, started_at TEXT NOT NULL);
  CREATE TABLE router_ports (app_id TEXT PRIMARY KEY REFERENCES apps(id) ON DELETE CASCADE, port INTEGER NOT NULL);
  `,
  // The definition each deployment ran (JSON of contract.ts's DynoDefinition): a failed deployment's
  // type runs its last succeeded one again after a restart of the platform.
  `
  ALTER TABLE deployments ADD COLUMN definition TEXT;
  `,
  // Rolling restart requests (ps:restart) are desired state: a restart of the platform keeps a pending one.
  `
  CREATE TABLE restarts (
    app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE, type TEXT NOT NULL, token TEXT NOT NULL, requested_at TEXT NOT NULL,
    PRIMARY KEY (app_id, type)
  );
  `,
  // Release history: the build a release runs (a rollback or a config change reuses it) and the config
  // vars it was released with (a rollback restores them). Older releases keep a null config.
  `
  ALTER TABLE releases ADD COLUMN build_id TEXT;
  ALTER TABLE releases ADD COLUMN config TEXT;
  UPDATE releases SET build_id = (SELECT id FROM builds WHERE builds.release_id = releases.id);
  `,
  // Scheduled dyno types (issue 12): a formation may run one dyno on each tick of a cron schedule. Each
  // one's last decided tick and last run are desired state: a restart knows what it missed.
  `
  ALTER TABLE formations ADD COLUMN schedule TEXT;
  ALTER TABLE formations ADD COLUMN timezone TEXT;
  CREATE TABLE schedule_runs (
    formation_id TEXT PRIMARY KEY REFERENCES formations(id) ON DELETE CASCADE, last_tick INTEGER, next_at INTEGER, runs INTEGER NOT NULL DEFAULT 0,
    dyno TEXT, started_at INTEGER, ended_at INTEGER, exit_code INTEGER, signal TEXT
  );
  `,
]
