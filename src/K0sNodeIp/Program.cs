using K0sNodeIp.Modes;

return K0sNodeIpApp.Run(args, Console.Out, Console.Error);
