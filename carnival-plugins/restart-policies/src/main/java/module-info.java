/** The original Carnival's restart policies: no, always, on-failure (the last two with crash-loop backoff). */
module carnival.restart.policies {
    requires carnival.api;

    provides dev.carnival.api.restart.RestartPolicyProvider with
            dev.carnival.plugins.restart.NoRestart,
            dev.carnival.plugins.restart.AlwaysRestart,
            dev.carnival.plugins.restart.OnFailureRestart;
}
