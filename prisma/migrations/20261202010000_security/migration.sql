-- CreateTable
CREATE TABLE "security_user" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "password_hash" TEXT,
    "scram_sha_256" TEXT,
    "scram_sha_512" TEXT,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "security_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "security_api_key" (
    "id" TEXT NOT NULL,
    "user_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "expires_at" TIMESTAMP(3),

    CONSTRAINT "security_api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "security_session" (
    "id" TEXT NOT NULL,
    "user_id" INTEGER NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "security_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "security_login_link" (
    "id" TEXT NOT NULL,
    "user_id" INTEGER NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "used_at" TIMESTAMP(3),

    CONSTRAINT "security_login_link_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_entry" (
    "id" BIGSERIAL NOT NULL,
    "time" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "door" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "result" TEXT NOT NULL,
    "error" TEXT,

    CONSTRAINT "audit_entry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "security_user_name_key" ON "security_user"("name");

-- CreateIndex
CREATE INDEX "security_api_key_user_id_idx" ON "security_api_key"("user_id");

-- CreateIndex
CREATE INDEX "security_session_user_id_idx" ON "security_session"("user_id");

-- CreateIndex
CREATE INDEX "security_session_expires_at_idx" ON "security_session"("expires_at");

-- CreateIndex
CREATE INDEX "audit_entry_time_idx" ON "audit_entry"("time");

-- CreateIndex
CREATE INDEX "audit_entry_actor_idx" ON "audit_entry"("actor");

-- CreateIndex
CREATE INDEX "audit_entry_action_idx" ON "audit_entry"("action");

-- AddForeignKey
ALTER TABLE "security_api_key" ADD CONSTRAINT "security_api_key_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "security_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "security_session" ADD CONSTRAINT "security_session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "security_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "security_login_link" ADD CONSTRAINT "security_login_link_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "security_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
