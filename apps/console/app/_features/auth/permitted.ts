import { currentUser } from '../../_lib/gateway/auth';
import { can, type Capability } from './permissions';

/** For server components: whether the signed-in user may do what `capability` names. */
export async function permitted(capability: Capability): Promise<boolean> {
  return can((await currentUser())?.role, capability);
}
