namespace FreeBind.Client; internal static class Program { private static void Main() { } }
