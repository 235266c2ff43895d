ALTER TABLE orders ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- A dollar-quoted body with semicolons inside: one statement.
CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE TRIGGER orders_touch BEFORE UPDATE ON orders
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
