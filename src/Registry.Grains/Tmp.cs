namespace Registry; internal static class PlaceholderGrains {}
