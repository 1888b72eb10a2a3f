module floor {}
