# The demo's configuration, written exactly as for Atlas. `npm run demo` fills the variables with
# the loopback services it starts (registry emulator, S3 server, a folder, an embedded PostgreSQL).
variable "registry_url" {
  type    = string
  default = ""
}

variable "backups" {
  type    = list(string)
  default = []
}

variable "db_url" {
  type    = string
  default = ""
}

atlas {
  cloud {
    url   = var.registry_url
    token = getenv("ATLAS_TOKEN")
  }
}

env "ci" {
  migration {
    dir = "file://migrations"
    repo {
      name   = "demo-shop"
      backup = var.backups
    }
  }
}

env "prod" {
  url = var.db_url
  migration {
    dir = "atlas://demo-shop"
    repo {
      name   = "demo-shop"
      backup = var.backups
    }
  }
}
