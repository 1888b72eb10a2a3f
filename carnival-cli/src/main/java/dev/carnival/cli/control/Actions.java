package dev.carnival.cli.control;

import dev.carnival.api.Supervisor;
import dev.carnival.api.model.Signal;
import dev.carnival.runtime.supervise.CarnivalSupervisor;
import java.util.concurrent.CompletableFuture;

/** How an operation reaches a supervisor, saying who asked (events and log lines name it). */
public interface Actions {
    CompletableFuture<Void> stop(String target);

    CompletableFuture<Void> start(String target);

    CompletableFuture<Void> restart(String target);

    CompletableFuture<Void> signal(String target, Signal signal);

    /** Through the embedding API, which names itself {@code api}. */
    static Actions of(Supervisor s) {
        return new Actions() {
            @Override
            public CompletableFuture<Void> stop(String target) {
                return s.stop(target);
            }

            @Override
            public CompletableFuture<Void> start(String target) {
                return s.start(target);
            }

            @Override
            public CompletableFuture<Void> restart(String target) {
                return s.restart(target);
            }

            @Override
            public CompletableFuture<Void> signal(String target, Signal signal) {
                return s.signal(target, signal);
            }
        };
    }

    /** On the {@code carnival} command's supervisor, as {@code origin} ({@code socket}). */
    static Actions of(CarnivalSupervisor s, String origin) {
        return new Actions() {
            @Override
            public CompletableFuture<Void> stop(String target) {
                return s.stop(target, origin);
            }

            @Override
            public CompletableFuture<Void> start(String target) {
                return s.start(target, origin);
            }

            @Override
            public CompletableFuture<Void> restart(String target) {
                return s.restart(target, origin);
            }

            @Override
            public CompletableFuture<Void> signal(String target, Signal signal) {
                return s.signal(target, signal, origin);
            }
        };
    }
}
