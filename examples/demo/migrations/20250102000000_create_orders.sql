CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');

CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id),
  status order_status NOT NULL DEFAULT 'new',
  note text DEFAULT 'it''s; not a delimiter'
);
