"""The Reconciliation Service API (W3C Entity Reconciliation CG, version 0.2)."""
