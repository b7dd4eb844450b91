package dev.rollbackdeploy.record;

/** How a build rolled out. */
public enum StrategyKind {
    CANARY, BLUE_GREEN, FEATURE_FLAG, IMMUTABLE
}
