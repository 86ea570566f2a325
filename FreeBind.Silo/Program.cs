using FreeBind.Hosting;

using Microsoft.Extensions.Hosting;

// A FreeBind silo: configuration comes from appsettings.json, environment variables
// (e.g. Orleans__Metadata__gpu=true, FreeBind__Encoders__Provider=Cuda) and the command line.
var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults();
builder.AddFreeBindSilo();
await builder.Build().RunAsync();
