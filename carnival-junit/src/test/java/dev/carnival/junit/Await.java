package dev.carnival.junit;

final class Await extends dev.carnival.testing.Await {}
