import "./cesium/baseUrl";
import { createRoot } from "react-dom/client";
import App from "./app/App";
import "./ui/theme.css";

createRoot(document.getElementById("root")!).render(
  // No StrictMode: its double-mounted effects would create and destroy the WebGL viewer twice.
  <App />,
);
