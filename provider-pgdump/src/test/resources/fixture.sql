-- A database that exercises what pg_dump and pg_restore must carry over faithfully.
CREATE SCHEMA shop;
CREATE SCHEMA "Reporting Ünits";

CREATE TYPE shop.order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled');
-- A new enum value is usable only after its own transaction commits.
-- @@
ALTER TYPE shop.order_status ADD VALUE 'refunded' BEFORE 'cancelled';
-- @@
CREATE DOMAIN shop.positive_money AS numeric(12,2) CHECK (VALUE >= 0);

CREATE TABLE shop.customers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  email text UNIQUE,
  tags text[] NOT NULL DEFAULT '{}',
  profile jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE shop.orders (
  id serial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES shop.customers(id),
  status shop.order_status NOT NULL DEFAULT 'new',
  total shop.positive_money NOT NULL,
  total_with_tax numeric(12,2) GENERATED ALWAYS AS (total * 1.2) STORED,
  placed_at timestamptz NOT NULL
);
CREATE INDEX orders_customer_idx ON shop.orders (customer_id);

CREATE TABLE shop."Order Items" (
  order_id int NOT NULL REFERENCES shop.orders(id),
  line int NOT NULL,
  "Product Name" text NOT NULL,
  célula text,
  qty int NOT NULL CHECK (qty > 0),
  PRIMARY KEY (order_id, line)
);

CREATE TABLE shop.events (
  id bigint NOT NULL,
  at date NOT NULL,
  payload jsonb
) PARTITION BY RANGE (at);
CREATE TABLE shop.events_2024 PARTITION OF shop.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE shop.events_2025 PARTITION OF shop.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');

CREATE TABLE shop.audit (
  id bigserial PRIMARY KEY,
  table_name text NOT NULL,
  op text NOT NULL
);
CREATE FUNCTION shop.audit_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO shop.audit (table_name, op) VALUES (TG_TABLE_NAME, TG_OP);
  RETURN NEW;
END
$$;
CREATE TRIGGER orders_audit AFTER INSERT ON shop.orders FOR EACH ROW EXECUTE FUNCTION shop.audit_fn();

CREATE SEQUENCE shop.invoice_no START 1000;
SELECT setval('shop.invoice_no', 4242);

CREATE TABLE "Reporting Ünits".blobs (
  id int PRIMARY KEY,
  data bytea NOT NULL,
  doc oid
);
CREATE TABLE "Reporting Ünits"."célula" (
  "Key" text PRIMARY KEY,
  "valor €" numeric[]
);

CREATE TABLE public.settings (key text PRIMARY KEY, value text NOT NULL);

INSERT INTO shop.customers (name, email, tags, profile, created_at)
SELECT 'Customer ' || g, 'c' || g || '@example.com', ARRAY['t' || (g % 3), 'x"y'],
       jsonb_build_object('n', g, 'nested', jsonb_build_object('ok', g % 2 = 0), 'ünï', 'çødé'),
       timestamptz '2024-05-01 00:00:00+00' + g * interval '1 hour'
FROM generate_series(1, 50) g;

INSERT INTO shop.orders (customer_id, status, total, placed_at)
SELECT 1 + (g % 50), (ARRAY['new', 'paid', 'shipped', 'refunded', 'cancelled'])[1 + g % 5]::shop.order_status,
       (g * 7.35)::numeric(12,2), timestamptz '2024-06-01 00:00:00+00' + g * interval '37 minutes'
FROM generate_series(1, 200) g;

INSERT INTO shop."Order Items" (order_id, line, "Product Name", célula, qty)
SELECT 1 + (g % 200), g / 200, 'Product "' || g || '"', 'célula ' || g, 1 + g % 4
FROM generate_series(0, 399) g;

INSERT INTO shop.events (id, at, payload)
SELECT g, date '2024-07-01' + (g * 5), jsonb_build_object('g', g)
FROM generate_series(1, 100) g;

INSERT INTO "Reporting Ünits".blobs (id, data, doc)
SELECT g, decode(repeat(lpad(to_hex(g), 2, '0'), 64) || '00ff', 'hex'),
       lo_from_bytea(0, convert_to('large object number ' || g || ' ✓', 'UTF8'))
FROM generate_series(1, 3) g;

INSERT INTO "Reporting Ünits"."célula" VALUES ('α', '{1.5,2.25}'), ('b', NULL), ('c''q', '{}');
INSERT INTO public.settings VALUES ('mode', 'test'), ('tab', E'a\tb');

CREATE VIEW shop.paid_orders AS SELECT id, customer_id, total FROM shop.orders WHERE status = 'paid';
CREATE MATERIALIZED VIEW shop.customer_totals AS
  SELECT customer_id, sum(total) AS total, count(*) AS orders FROM shop.orders GROUP BY customer_id;
CREATE UNIQUE INDEX customer_totals_pk ON shop.customer_totals (customer_id);
