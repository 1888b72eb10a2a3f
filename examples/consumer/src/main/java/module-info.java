/** A program of another project that embeds Carnival: it needs the API module only. */
module example.consumer {
    requires carnival.api;

    exports example.consumer;
}
