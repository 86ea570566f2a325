namespace FreeBind.Silo; internal static class Program { private static void Main() { } }
