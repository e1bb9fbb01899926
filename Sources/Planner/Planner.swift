// The Planner module; see docs/ARCHITECTURE.md.
import Spec
