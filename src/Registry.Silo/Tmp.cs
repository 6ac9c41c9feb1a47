namespace Registry; internal static class PlaceholderSilo {}
