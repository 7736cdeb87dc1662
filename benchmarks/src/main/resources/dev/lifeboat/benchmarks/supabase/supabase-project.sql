-- A database shaped like a Supabase project: the platform's roles and managed schemas with a few
-- rows, an extension in schema extensions, and a user's schemas with foreign keys into auth.users,
-- RLS policies for authenticated, grants to anon, a view and an identity column.
CREATE ROLE anon NOLOGIN;
CREATE ROLE authenticated NOLOGIN;
CREATE ROLE service_role NOLOGIN BYPASSRLS;
CREATE ROLE authenticator LOGIN NOINHERIT;
CREATE ROLE supabase_auth_admin NOLOGIN;
CREATE ROLE supabase_storage_admin NOLOGIN;
CREATE ROLE reporting NOLOGIN;
CREATE ROLE app_writer LOGIN PASSWORD 'writer-secret-pw-42';
ALTER ROLE app_writer SET statement_timeout TO '30s';
ALTER ROLE app_writer SET work_mem TO '8MB';
GRANT reporting TO app_writer;
GRANT anon TO authenticator;

CREATE SCHEMA extensions;
CREATE EXTENSION pgcrypto WITH SCHEMA extensions;
CREATE EXTENSION "uuid-ossp" WITH SCHEMA extensions;
COMMENT ON EXTENSION "uuid-ossp" IS 'generate universally unique identifiers (UUIDs)';

CREATE SCHEMA auth AUTHORIZATION supabase_auth_admin;
CREATE TABLE auth.users (id uuid PRIMARY KEY, email text UNIQUE, encrypted_password text, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE auth.identities (id text PRIMARY KEY, user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE, provider text);
CREATE TABLE auth.schema_migrations (version text PRIMARY KEY);
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;
ALTER TABLE auth.users OWNER TO supabase_auth_admin;
ALTER TABLE auth.identities OWNER TO supabase_auth_admin;

CREATE SCHEMA storage AUTHORIZATION supabase_storage_admin;
CREATE TABLE storage.buckets (id text PRIMARY KEY, name text NOT NULL, public boolean DEFAULT false);
CREATE TABLE storage.objects (id uuid PRIMARY KEY DEFAULT extensions.gen_random_uuid(), bucket_id text REFERENCES storage.buckets (id),
  name text, owner uuid REFERENCES auth.users (id));
CREATE TABLE storage.migrations (id integer PRIMARY KEY, name text);
ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY;
CREATE POLICY "avatars are public" ON storage.objects FOR SELECT TO anon USING (bucket_id = 'avatars');

CREATE SCHEMA realtime;
CREATE TABLE realtime.messages (id bigint PRIMARY KEY, topic text);
CREATE SCHEMA vault;
CREATE TABLE vault.secrets (id uuid PRIMARY KEY DEFAULT extensions.gen_random_uuid(), name text, secret text);
CREATE SCHEMA supabase_migrations;
CREATE TABLE supabase_migrations.schema_migrations (version text PRIMARY KEY, statements text[]);
CREATE SCHEMA graphql;
CREATE TABLE graphql.meta (k text);
CREATE SCHEMA graphql_public;
CREATE SCHEMA _analytics;
CREATE SCHEMA pgsodium;
CREATE SCHEMA supabase_functions;
CREATE TABLE supabase_functions.hooks (id bigint PRIMARY KEY, hook_name text);
CREATE TABLE supabase_functions.migrations (version text PRIMARY KEY);

CREATE TABLE public.profiles (id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE, username text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now());
ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;
CREATE POLICY "own profile" ON public.profiles FOR ALL TO authenticated USING (id = auth.uid());
GRANT SELECT ON public.profiles TO anon;
GRANT ALL ON public.profiles TO authenticated, service_role;
CREATE TABLE public.notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner uuid NOT NULL REFERENCES auth.users (id),
  body text, body_hash bytea GENERATED ALWAYS AS (extensions.digest(body, 'sha256')) STORED);
CREATE VIEW public.note_counts AS SELECT owner, count(*) AS notes FROM public.notes GROUP BY owner;
GRANT SELECT ON public.note_counts TO reporting;
CREATE SCHEMA app;
CREATE TABLE app.settings (key text PRIMARY KEY, value jsonb);

INSERT INTO auth.users (id, email, encrypted_password)
  SELECT ('00000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid, 'user' || g || '@example.com', 'hash' || g
  FROM generate_series(1, 25) g;
INSERT INTO auth.identities SELECT 'email-' || email, id, 'email' FROM auth.users;
INSERT INTO auth.schema_migrations VALUES ('20240101'), ('20240102');
INSERT INTO storage.buckets VALUES ('avatars', 'avatars', true);
INSERT INTO storage.objects (bucket_id, name, owner) SELECT 'avatars', 'avatar-' || email || '.png', id FROM auth.users LIMIT 10;
INSERT INTO storage.migrations VALUES (1, 'create-migrations-table');
INSERT INTO realtime.messages VALUES (1, 'room:1');
INSERT INTO vault.secrets (name, secret) VALUES ('stripe', 'vault-secret-value-123');
INSERT INTO supabase_migrations.schema_migrations VALUES ('20240101000000', ARRAY['create table profiles']);
INSERT INTO supabase_functions.hooks VALUES (1, 'on_signup');
INSERT INTO public.profiles (id, username) SELECT id, 'user-' || split_part(email, '@', 1) FROM auth.users;
INSERT INTO public.notes (owner, body) SELECT u.id, 'note ' || g FROM auth.users u, generate_series(1, 3) g;
INSERT INTO app.settings VALUES ('theme', '{"dark": true}');
