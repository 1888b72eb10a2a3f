package dev.carnival.runtime.cli;

/** Placeholder while the CLI is written. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("carnival (placeholder)");
    }
}
