"""Demo support: seed a local moto server with a small AWS Organization to inventory."""
