"""The DfE Children in Need census: spec, build, validate (schema and rules) and render (ADR 10)."""
