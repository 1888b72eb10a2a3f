/** A program that supervises processes with an embedded Carnival. */
module example.embedded {
    requires carnival.api;
}
