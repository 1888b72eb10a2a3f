package dev.carnival.cli;

import dev.carnival.cli.control.Request;
import java.util.List;
import java.util.Optional;

/** The client's side of {@code reload}, {@code scale} and {@code restart --rolling}: their requests. */
final class ChangeRequests {
    private ChangeRequests() {}

    static Request request(String verb, List<String> operands, boolean dryRun, boolean rolling)
            throws UsageException {
        return switch (verb) {
            case "reload" -> {
                if (!operands.isEmpty()) {
                    throw new UsageException("reload takes no NAME: it reloads the whole config file");
                }
                yield new Request(Request.Op.RELOAD, List.of(), Optional.empty(),
                        new Request.Options(dryRun, false, -1));
            }
            case "scale" -> {
                if (operands.size() != 2) {
                    throw new UsageException("scale needs a service NAME and a replica count N");
                }
                String n = operands.get(1);
                if (n.isEmpty() || n.length() > 6 || !n.chars().allMatch(Character::isDigit)
                        || Integer.parseInt(n) > 100_000) {
                    throw new UsageException("scale: N must be a whole number from 0 to 100000, not '" + n + "'");
                }
                yield new Request(Request.Op.SCALE, List.of(operands.getFirst()), Optional.empty(),
                        new Request.Options(false, false, Integer.parseInt(n)));
            }
            default -> {
                if (operands.isEmpty()) {
                    throw new UsageException("restart --rolling needs at least one service NAME");
                }
                yield new Request(Request.Op.RESTART, operands, Optional.empty(), new Request.Options(false, rolling, -1));
            }
        };
    }
}
