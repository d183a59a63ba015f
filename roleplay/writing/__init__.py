"""Writers' tools: the analysis of every way through a story, the branch graph, and watching a file."""
