# The demo's configuration, written exactly as for Atlas. `npm run demo` sets the environment
# variables to the loopback services it starts: the registry emulator, an S3 server, a backup folder
# and an embedded PostgreSQL.
locals {
  # Comma-separated backup URLs, in the order apply falls back to them.
  backup_urls = split(",", getenv("DEMO_BACKUPS"))
}

atlas {
  cloud {
    url   = getenv("DEMO_REGISTRY_URL")
    token = getenv("ATLAS_TOKEN")
  }
}

env "ci" {
  migration {
    dir = "file://migrations"
    repo {
      name   = "demo-shop"
      backup = local.backup_urls
    }
  }
}

env "prod" {
  url = getenv("DATABASE_URL")
  migration {
    dir = "atlas://demo-shop"
    repo {
      name   = "demo-shop"
      backup = local.backup_urls
    }
  }
}
