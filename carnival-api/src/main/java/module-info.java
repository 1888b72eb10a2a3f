/**
 * Carnival's public surface: the configuration model, the plugin SPIs and the embedding entry
 * point. Plugins and embedders depend on this module only.
 */
module carnival.api {
    exports dev.carnival.api;
    exports dev.carnival.api.model;
    exports dev.carnival.api.config;
    exports dev.carnival.api.restart;
    exports dev.carnival.api.reload;
    exports dev.carnival.api.probe;
    exports dev.carnival.api.event;
    exports dev.carnival.api.output;

    uses dev.carnival.api.SupervisorEngine;
}
