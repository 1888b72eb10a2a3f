/** The built-in probes: exec, http, tcp. */
module carnival.probes {
    requires carnival.api;
    requires java.net.http;

    provides dev.carnival.api.probe.ProbeProvider with
            dev.carnival.plugins.probes.ExecProbe,
            dev.carnival.plugins.probes.HttpProbe,
            dev.carnival.plugins.probes.TcpProbe;
}
