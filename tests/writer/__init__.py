"""Tests of the tools for story writers: analyze, graph, schema, new, watch and the format guide."""
