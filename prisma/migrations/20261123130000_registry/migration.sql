-- CreateTable
CREATE TABLE "registry_znode" (
    "path" TEXT NOT NULL,
    "parent" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "version" INTEGER NOT NULL,
    "cversion" INTEGER NOT NULL,
    "czxid" BIGINT NOT NULL,
    "mzxid" BIGINT NOT NULL,
    "pzxid" BIGINT NOT NULL,
    "ctime" BIGINT NOT NULL,
    "mtime" BIGINT NOT NULL,
    "ephemeral_owner" BIGINT NOT NULL,

    CONSTRAINT "registry_znode_pkey" PRIMARY KEY ("path")
);

-- CreateTable
CREATE TABLE "registry_session" (
    "id" BIGSERIAL NOT NULL,
    "timeout_ms" INTEGER NOT NULL,
    "expires_at" BIGINT NOT NULL,
    "created_at" BIGINT NOT NULL,

    CONSTRAINT "registry_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "registry_meta" (
    "id" INTEGER NOT NULL,
    "zxid" BIGINT NOT NULL,

    CONSTRAINT "registry_meta_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "registry_znode_parent_idx" ON "registry_znode"("parent");

-- CreateIndex
CREATE INDEX "registry_znode_mzxid_idx" ON "registry_znode"("mzxid");

-- CreateIndex
CREATE INDEX "registry_znode_pzxid_idx" ON "registry_znode"("pzxid");

-- CreateIndex
CREATE INDEX "registry_znode_ephemeral_owner_idx" ON "registry_znode"("ephemeral_owner");

-- CreateIndex
CREATE INDEX "registry_session_expires_at_idx" ON "registry_session"("expires_at");

-- Seed: the root znode and the zxid counter every write increments.
INSERT INTO "registry_znode" ("path", "parent", "data", "version", "cversion", "czxid", "mzxid", "pzxid", "ctime", "mtime", "ephemeral_owner")
VALUES ('/', '', '\x'::bytea, 0, 0, 0, 0, 0, 0, 0, 0);
INSERT INTO "registry_meta" ("id", "zxid") VALUES (1, 0);
