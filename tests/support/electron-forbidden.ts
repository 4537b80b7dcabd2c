throw new Error("'electron' was imported outside electron/desktop; core code must receive Electron features through ports");
