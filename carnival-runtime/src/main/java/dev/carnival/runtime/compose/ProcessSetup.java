package dev.carnival.runtime.compose;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.GlobalConfig;
import dev.carnival.api.model.InitCommand;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.runtime.config.Problems;
import dev.carnival.runtime.config.SourceMap;
import dev.carnival.runtime.notify.NotifySockets;
import dev.carnival.runtime.process.Accounts;
import dev.carnival.runtime.process.Accounts.AccountException;
import dev.carnival.runtime.process.Credentials;
import dev.carnival.runtime.process.Environment;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The environment and credentials of one init command's or service's processes, made once from
 * the config. Precedence, lowest first: Carnival's own environment, the global variables, the
 * process's own, then (for a service, added by its replica) the {@code CARNIVAL_*} four. With a
 * {@code user}, {@code HOME}, {@code USER} and {@code LOGNAME} become the user's unless the
 * config sets them.
 *
 * @param credentials who to run as, or null for Carnival's own credentials (also when
 *                    {@code user} names the user Carnival already runs as)
 */
public record ProcessSetup(Environment environment, Credentials credentials) {

    /**
     * Carnival's environment with the global variables over it: the base every process's is made
     * from. Without Carnival's own {@code NOTIFY_SOCKET}: that is where Carnival's parent listens
     * for Carnival, and a service saying READY=1 there would speak for Carnival. A notify service
     * gets a socket of its own; a config's {@code env} may still set the variable.
     */
    public static Environment base(Map<String, String> carnival, GlobalConfig global) {
        if (global.env().isEmpty() && !carnival.containsKey(NotifySockets.VARIABLE)) {
            return Environment.of(carnival);
        }
        Map<String, String> merged = new HashMap<>(carnival);
        merged.remove(NotifySockets.VARIABLE);
        merged.putAll(global.env());
        return Environment.of(merged);
    }

    /** Makes a setup. */
    @FunctionalInterface
    public interface Maker {
        ProcessSetup make() throws AccountException;
    }

    /**
     * The setup {@code maker} makes, for a config that passed {@link #check} (then it cannot
     * fail); a config built in code that did not is an IllegalArgumentException.
     */
    public static ProcessSetup checked(Maker maker) {
        try {
            return maker.make();
        } catch (AccountException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The setup of a service's processes. */
    public static ProcessSetup of(Environment base, GlobalConfig global, ServiceConfig service, Accounts accounts)
            throws AccountException {
        return of(base, global, service.env(), service.user(), service.group(), accounts);
    }

    /** The setup of an init command's process. */
    public static ProcessSetup of(Environment base, GlobalConfig global, InitCommand init, Accounts accounts)
            throws AccountException {
        return of(base, global, init.env(), init.user(), init.group(), accounts);
    }

    private static ProcessSetup of(Environment base, GlobalConfig global, Map<String, String> own, String user,
                                   String group, Accounts accounts) throws AccountException {
        Environment env = base;
        for (Map.Entry<String, String> e : own.entrySet()) {
            env = env.with(e.getKey(), e.getValue());
        }
        if (user == null) {
            return new ProcessSetup(env, null);
        }
        Credentials as = accounts.resolve(user, group);
        for (String[] v : new String[][] {{"HOME", as.home()}, {"USER", as.user()}, {"LOGNAME", as.user()}}) {
            if (!own.containsKey(v[0]) && !global.env().containsKey(v[0])) {
                env = env.with(v[0], v[1]);
            }
        }
        OptionalInt uid = Accounts.effectiveUid();
        if (uid.isEmpty()) {
            throw new AccountException("cannot run as user '" + user + "': switching users needs Linux");
        }
        if (uid.getAsInt() == 0) {
            return new ProcessSetup(env, as);
        }
        if (as.uid() == uid.getAsInt() && (group == null || as.gid() == Accounts.effectiveGid().orElse(-1))) {
            return new ProcessSetup(env, null); // already that user: nothing to switch
        }
        throw new AccountException("cannot run as user '" + user + "'" + (group == null ? "" : " and group '" + group + "'")
                + ": Carnival runs as uid " + Integer.toUnsignedString(uid.getAsInt()) + ", not as root");
    }

    /**
     * Checks every init command's and service's user and group, as loading a config does: every
     * problem, each at the location of its {@code user} key.
     */
    public static void check(CarnivalConfig config, SourceMap sources, Accounts accounts) throws ConfigException {
        Problems problems = new Problems();
        Environment none = Environment.of(Map.of());
        for (int i = 0; i < config.init().size(); i++) {
            try {
                of(none, config.global(), config.init().get(i), accounts);
            } catch (AccountException e) {
                problems.add(new ConfigException(sources.at(SourceMap.init(i, "user")),
                        "init command " + (i + 1) + ": " + e.getMessage()));
            }
        }
        for (int i = 0; i < config.services().size(); i++) {
            ServiceConfig s = config.services().get(i);
            try {
                of(none, config.global(), s, accounts);
            } catch (AccountException e) {
                problems.add(new ConfigException(sources.at(SourceMap.service(i, "user")),
                        "service '" + s.name() + "': " + e.getMessage()));
            }
        }
        problems.throwIfAny();
    }
}
