"""The ML workflow stack map: blocks, projects and how they relate (filled in by the stack map)."""
